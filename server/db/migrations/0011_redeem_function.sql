-- Redemption in one round trip (issue #11): the whole transaction as a PL/pgSQL function, called
-- in autocommit. Every refusal is raised with SQLSTATE 'US001', the contract's error code as the
-- message and its figures as JSON in the detail, so that it rolls back everything the call did
-- (the idempotency claim included); server/modules/mall/redeem.ts turns it into the AppError.
CREATE OR REPLACE FUNCTION redeem_item_for_member(
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
  -- Milliseconds, as the answer shows them: created_at is stored as answered.
  v_now timestamptz := date_trunc('milliseconds', now());
  v_prior record;
  v_balance integer;
  v_item record;
  v_cost bigint;
  v_taken integer;
  v_stock integer;
  v_attempt integer := 0;
  v_code text;
  v_bits bigint;
  v_order_id integer;
  v_deadline timestamptz;
  v_spent bigint;
  v_response jsonb;
  v_alphabet constant text := '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
BEGIN
  -- 1. Claim the key (a concurrent retry waits here for the first request, then replays it) ...
  INSERT INTO idempotency_keys (member_id, key, route, request_hash)
  VALUES (p_member_id, p_key, 'createOrder', p_request_hash)
  ON CONFLICT (member_id, key) DO NOTHING;
  IF NOT FOUND THEN
    SELECT route, request_hash, response INTO v_prior
    FROM idempotency_keys WHERE member_id = p_member_id AND key = p_key;
    IF NOT FOUND OR v_prior.route <> 'createOrder' OR v_prior.request_hash <> p_request_hash THEN
      RAISE EXCEPTION USING ERRCODE = 'US001', MESSAGE = 'IDEMPOTENCY_KEY_REUSED';
    END IF;
    IF v_prior.response IS NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'US001', MESSAGE = 'INTERNAL';
    END IF;
    RETURN v_prior.response;
  END IF;

  -- ... and lock the member's points account: always the first lock, so redemptions, refunds,
  -- grants and expiry of one member queue up here and never deadlock.
  SELECT balance INTO v_balance FROM point_accounts WHERE member_id = p_member_id FOR UPDATE;
  v_balance := coalesce(v_balance, 0);

  -- 2. The item, checked; then stock − n only if enough is left and the price is still the one
  -- charged (a price changed meanwhile: read again, at most 4 times).
  LOOP
    v_attempt := v_attempt + 1;
    SELECT i.id, i.union_id, i.name, i.image_url, un.name AS union_name, i.points_cost, i.stock,
           i.per_member_limit, i.sale_starts_at, i.sale_ends_at, i.pickup_days
    INTO v_item
    FROM mall_items i JOIN unions un ON un.id = i.union_id
    WHERE i.id = p_item_id;
    IF NOT FOUND OR v_item.union_id NOT IN (
      WITH RECURSIVE up(id, parent_id, depth) AS (
        SELECT id, parent_id, 0 FROM unions WHERE id = p_union_id
        UNION ALL
        SELECT u.id, u.parent_id, up.depth + 1 FROM unions u JOIN up ON u.id = up.parent_id
        WHERE up.depth < 64
      ) SELECT id FROM up
    ) THEN
      RAISE EXCEPTION USING ERRCODE = 'US001', MESSAGE = 'NOT_FOUND';
    END IF;
    IF v_item.sale_starts_at IS NOT NULL AND v_now < v_item.sale_starts_at THEN
      RAISE EXCEPTION USING ERRCODE = 'US001', MESSAGE = 'NOT_ON_SALE',
        DETAIL = jsonb_build_object('startsAt', v_item.sale_starts_at)::text;
    END IF;
    IF v_item.sale_ends_at IS NOT NULL AND v_now >= v_item.sale_ends_at THEN
      RAISE EXCEPTION USING ERRCODE = 'US001', MESSAGE = 'NOT_ON_SALE';
    END IF;
    IF p_quantity > v_item.per_member_limit THEN
      RAISE EXCEPTION USING ERRCODE = 'US001', MESSAGE = 'LIMIT_EXCEEDED',
        DETAIL = jsonb_build_object('limit', v_item.per_member_limit)::text;
    END IF;
    -- An early answer from the unlocked read; the conditional UPDATE below decides for real.
    IF v_item.stock < p_quantity THEN
      RAISE EXCEPTION USING ERRCODE = 'US001', MESSAGE = 'OUT_OF_STOCK',
        DETAIL = jsonb_build_object('stock', v_item.stock)::text;
    END IF;
    v_cost := v_item.points_cost::bigint * p_quantity;
    -- The account row is locked: this balance is the one the debit will see.
    IF v_balance < v_cost THEN
      RAISE EXCEPTION USING ERRCODE = 'US001', MESSAGE = 'INSUFFICIENT_POINTS',
        DETAIL = jsonb_build_object('cost', v_cost, 'balance', v_balance)::text;
    END IF;
    -- Orders of this member change only under the account lock: this count holds.
    SELECT coalesce(sum(quantity), 0) INTO v_taken FROM mall_orders
    WHERE member_id = p_member_id AND item_id = p_item_id
      AND status IN ('awaiting_pickup', 'fulfilled');
    IF v_taken + p_quantity > v_item.per_member_limit THEN
      RAISE EXCEPTION USING ERRCODE = 'US001', MESSAGE = 'LIMIT_EXCEEDED',
        DETAIL = jsonb_build_object('limit', v_item.per_member_limit, 'taken', v_taken)::text;
    END IF;

    UPDATE mall_items SET stock = stock - p_quantity
    WHERE id = p_item_id AND stock >= p_quantity AND points_cost = v_item.points_cost;
    EXIT WHEN FOUND;
    SELECT stock INTO v_stock FROM mall_items WHERE id = p_item_id;
    IF v_stock < p_quantity THEN
      RAISE EXCEPTION USING ERRCODE = 'US001', MESSAGE = 'OUT_OF_STOCK',
        DETAIL = jsonb_build_object('stock', v_stock)::text;
    END IF;
    IF v_attempt >= 4 THEN
      RAISE EXCEPTION USING ERRCODE = 'US001', MESSAGE = 'PRICE_CHANGED';
    END IF;
  END LOOP;

  -- 3. The order, under a fresh pickup code on a collision (4 tries): the given codes, or 8 of the
  -- 31 letters drawn from 60 bits of gen_random_uuid() (the server's strong random source).
  -- The deadline: the last millisecond of the pickup_days-th day after today, Shanghai (UTC+8
  -- all year) time.
  v_deadline := (date_trunc('day', (v_now AT TIME ZONE 'UTC') + interval '8 hours')
                 + (v_item.pickup_days + 1) * interval '1 day'
                 - interval '8 hours' - interval '1 millisecond') AT TIME ZONE 'UTC';
  FOR v_try IN 1..4 LOOP
    IF p_codes IS NULL THEN
      v_bits := ('x' || substr(replace(gen_random_uuid()::text, '-', ''), 18, 15))::bit(60)::bigint;
      v_code := '';
      FOR j IN 1..8 LOOP
        v_code := v_code || substr(v_alphabet, (v_bits % 31)::integer + 1, 1);
        v_bits := v_bits / 31;
      END LOOP;
    ELSE
      v_code := p_codes[v_try];
      EXIT WHEN v_code IS NULL;
    END IF;
    INSERT INTO mall_orders (member_id, item_id, quantity, unit_cost, points_spent, pickup_code,
                             pickup_deadline, created_at)
    VALUES (p_member_id, p_item_id, p_quantity, v_item.points_cost, v_cost, v_code, v_deadline,
            v_now)
    ON CONFLICT (pickup_code) DO NOTHING
    RETURNING id INTO v_order_id;
    EXIT WHEN v_order_id IS NOT NULL;
  END LOOP;
  IF v_order_id IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'US001', MESSAGE = 'INTERNAL';
  END IF;

  -- 4. The debit, the lots spent (earliest expiry first, lots that never expire last, the older
  -- lot first on a tie, each emptied before the next: lots.ts planSpend), the ledger entry.
  UPDATE point_accounts SET balance = balance - v_cost
  WHERE member_id = p_member_id AND balance >= v_cost
  RETURNING balance INTO v_balance;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'redemption of member %: the debit failed', p_member_id;
  END IF;
  WITH lots AS (
    SELECT id, remaining,
           sum(remaining) OVER (ORDER BY expires_at NULLS LAST, id) - remaining AS spent_before
    FROM point_lots WHERE member_id = p_member_id AND remaining > 0
  ), plan AS (
    SELECT id AS lot_id, least(remaining, v_cost - spent_before)::integer AS amount
    FROM lots WHERE spent_before < v_cost
  ), spend AS (
    UPDATE point_lots l SET remaining = l.remaining - p.amount
    FROM plan p
    WHERE l.id = p.lot_id AND l.member_id = p_member_id AND l.remaining >= p.amount
    RETURNING p.lot_id, p.amount
  ), spent AS (
    INSERT INTO order_lot_spends (order_id, lot_id, amount)
    SELECT v_order_id, lot_id, amount FROM spend
    RETURNING amount
  )
  SELECT coalesce(sum(amount), 0) INTO v_spent FROM spent;
  -- The balance covered the cost but the lots do not: the books disagree. Refuse loudly.
  IF v_spent <> v_cost THEN
    RAISE EXCEPTION 'member %: lots hold % points, % needed', p_member_id, v_spent, v_cost;
  END IF;
  INSERT INTO point_ledger (member_id, kind, amount, balance_after, reason, order_id, created_at)
  VALUES (p_member_id, 'redeem', -v_cost, v_balance,
          '兑换 ' || v_item.name || ' ×' || p_quantity, v_order_id, v_now);

  -- 5. The answer, stored with the key for replays.
  v_response := jsonb_build_object('order', jsonb_build_object(
    'id', v_order_id,
    'itemId', v_item.id,
    'itemName', v_item.name,
    'itemImageUrl', v_item.image_url,
    'unionName', v_item.union_name,
    'quantity', p_quantity,
    'unitCost', v_item.points_cost,
    'pointsSpent', v_cost,
    'pickupCode', v_code,
    'status', 'awaiting_pickup',
    'createdAt', to_char(v_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'pickupDeadline', to_char(v_deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'closedAt', NULL));
  UPDATE idempotency_keys SET status = 201, response = v_response
  WHERE member_id = p_member_id AND key = p_key;
  RETURN v_response;
END
$$;
--> statement-breakpoint
-- The request's own sign-in folded into the same call: the bearer token's hash → a live session
-- (not revoked, not expired) → the member and their union, exactly as the auth plugin checks it.
CREATE OR REPLACE FUNCTION redeem_item(
  p_token_hash text,
  p_item_id integer,
  p_quantity integer,
  p_key text,
  p_request_hash text,
  p_codes text[] DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
  v_member record;
BEGIN
  SELECT m.id, m.union_id INTO v_member
  FROM sessions s JOIN members m ON m.id = s.member_id JOIN unions u ON u.id = m.union_id
  WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL AND s.expires_at > now();
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'US001', MESSAGE = 'UNAUTHENTICATED';
  END IF;
  RETURN redeem_item_for_member(v_member.id, v_member.union_id, p_item_id, p_quantity, p_key,
                                p_request_hash, p_codes);
END
$$;
--> statement-breakpoint
-- The staff overview sums awaiting and fulfilled quantities per item from the index alone.
DROP INDEX IF EXISTS "mall_orders_item_idx";
--> statement-breakpoint
CREATE INDEX "mall_orders_item_idx" ON "mall_orders" USING btree ("item_id","status","quantity");
