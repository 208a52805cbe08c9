-- Staff act for a worker (issue #13, 代办): who acted is kept with the thing they did. NULL: the
-- member did it themselves (a later change by the member clears it again).
ALTER TABLE "event_registrations" ADD COLUMN "acted_by" integer REFERENCES "members"("id");
--> statement-breakpoint
ALTER TABLE "event_registrations" ADD CONSTRAINT "event_registrations_acted_by_other"
  CHECK ("acted_by" IS NULL OR "acted_by" <> "member_id");
--> statement-breakpoint
ALTER TABLE "cooling_packs" ADD COLUMN "acted_by" integer REFERENCES "members"("id");
--> statement-breakpoint
ALTER TABLE "cooling_packs" ADD CONSTRAINT "cooling_packs_acted_by_other"
  CHECK ("acted_by" IS NULL OR "acted_by" <> "member_id");
--> statement-breakpoint
ALTER TABLE "legal_bookings" ADD COLUMN "acted_by" integer REFERENCES "members"("id");
--> statement-breakpoint
ALTER TABLE "legal_bookings" ADD CONSTRAINT "legal_bookings_acted_by_other"
  CHECK ("acted_by" IS NULL OR "acted_by" <> "member_id");
--> statement-breakpoint
ALTER TABLE "mall_orders" ADD COLUMN "acted_by" integer REFERENCES "members"("id");
--> statement-breakpoint
ALTER TABLE "mall_orders" ADD CONSTRAINT "mall_orders_acted_by_other"
  CHECK ("acted_by" IS NULL OR "acted_by" <> "member_id");
--> statement-breakpoint
-- A redemption at the desk: staff redeem for a member in ONE call, the member's own redemption
-- (redeem_item_for_member, migration 0011) inside it. The staff member's key is claimed first
-- (under the staff member, for this member, item and quantity: a retry replays the first answer,
-- the same key for another request is refused); the inner call gets a key of its own in the
-- member's space. Then the order records who acted and the audit log has its row — all in the
-- one transaction of the call, so a refusal rolls every part of it back.
CREATE OR REPLACE FUNCTION redeem_item_by_staff(
  p_staff_id integer,
  p_member_id integer,
  p_union_id integer,
  p_item_id integer,
  p_quantity integer,
  p_key text,
  p_request_hash text,
  p_codes text[] DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  v_prior record;
  v_response jsonb;
  v_order_id integer;
BEGIN
  INSERT INTO idempotency_keys (member_id, key, route, request_hash)
  VALUES (p_staff_id, p_key, 'staffCreateOrder', p_request_hash)
  ON CONFLICT (member_id, key) DO NOTHING;
  IF NOT FOUND THEN
    SELECT route, request_hash, response INTO v_prior
    FROM idempotency_keys WHERE member_id = p_staff_id AND key = p_key;
    IF NOT FOUND OR v_prior.route <> 'staffCreateOrder' OR v_prior.request_hash <> p_request_hash THEN
      RAISE EXCEPTION USING ERRCODE = 'US001', MESSAGE = 'IDEMPOTENCY_KEY_REUSED';
    END IF;
    IF v_prior.response IS NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'US001', MESSAGE = 'INTERNAL';
    END IF;
    RETURN v_prior.response;
  END IF;

  v_response := redeem_item_for_member(p_member_id, p_union_id, p_item_id, p_quantity,
                                       'staff:' || p_staff_id || ':' || p_key, p_request_hash,
                                       p_codes);
  v_order_id := (v_response -> 'order' ->> 'id')::integer;
  UPDATE mall_orders SET acted_by = p_staff_id WHERE id = v_order_id;
  v_response := jsonb_set(v_response, '{order,actedByStaff}', 'true'::jsonb);
  INSERT INTO audit_log (actor_id, action, entity, entity_id, after)
  VALUES (p_staff_id, 'mall_order.create_on_behalf', 'mall_order', v_order_id::text,
          jsonb_build_object('memberId', p_member_id, 'itemId', p_item_id,
                             'quantity', p_quantity));
  UPDATE idempotency_keys SET status = 201, response = v_response
  WHERE member_id = p_staff_id AND key = p_key;
  RETURN v_response;
END
$$;
