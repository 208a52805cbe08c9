import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { assignGroups, groupInRound, schedule } from '../../server/modules/events/rotation'

function people(stationary: number, rotating: number) {
  return [
    ...Array.from({ length: stationary }, (_, i) => ({ id: `s${i}`, rotating: false })),
    ...Array.from({ length: rotating }, (_, i) => ({ id: `r${i}`, rotating: true })),
  ]
}

function sizes(plan: ReturnType<typeof assignGroups<string>>, n: number, round = 0) {
  const out = { stationary: Array(n).fill(0), rotating: Array(n).fill(0), all: Array(n).fill(0) }
  for (const a of plan) {
    const g = groupInRound(a, round, n)
    out[a.cohort][g]++
    out.all[g]++
  }
  return out
}

const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs)

describe('rotation', () => {
  test('a small mixer: 4 groups, 3 rounds, rotating cohort moves one group on per round', () => {
    const plan = assignGroups(people(4, 4), 4)
    const s0 = plan.find((a) => a.id === 's0')
    const r0 = plan.find((a) => a.id === 'r0')
    assert.deepEqual(s0 && schedule(s0, 3, 4), [0, 0, 0])
    assert.equal(r0?.cohort, 'rotating')
    assert.deepEqual(r0 && schedule(r0, 3, 4), [0, 1, 2])
    // In every round each group holds one of each cohort.
    for (let r = 0; r < 3; r++) {
      const z = sizes(plan, 4, r)
      assert.deepEqual(z.stationary, [1, 1, 1, 1])
      assert.deepEqual(z.rotating, [1, 1, 1, 1])
    }
  })

  test('wraps around: the last group moves to the first', () => {
    assert.equal(groupInRound({ cohort: 'rotating', startGroup: 4 }, 1, 5), 0)
    assert.equal(groupInRound({ cohort: 'rotating', startGroup: 3 }, 4, 5), 2)
    assert.equal(groupInRound({ cohort: 'stationary', startGroup: 3 }, 4, 5), 3)
  })

  test('refuses a group count below 1', () => {
    assert.throws(() => assignGroups(people(2, 2), 0), RangeError)
  })

  test('property: balanced cohorts, every attendee placed once, nobody meets a group twice', () => {
    let cases = 0
    for (let n = 1; n <= 12; n++) {
      for (const stationary of [0, 1, n - 1, n, n + 1, 2 * n + 3, 37, 100]) {
        for (const rotating of [0, 1, n, 3 * n - 1, 41, 100]) {
          if (stationary < 0 || rotating < 0) continue
          const plan = assignGroups(people(stationary, rotating), n)
          assert.equal(plan.length, stationary + rotating)
          assert.equal(new Set(plan.map((a) => a.id)).size, plan.length)
          for (let r = 0; r < n; r++) {
            const z = sizes(plan, n, r)
            // Balanced within each cohort, in every round.
            assert.ok(spread(z.stationary) <= 1, `stationary n=${n} s=${stationary} r=${r}`)
            assert.ok(spread(z.rotating) <= 1, `rotating n=${n} m=${rotating} r=${r}`)
          }
          // Round 0 is balanced as a whole too.
          assert.ok(spread(sizes(plan, n).all) <= 1, `all n=${n} s=${stationary} m=${rotating}`)
          for (let rounds = 1; rounds <= n; rounds++) {
            for (const a of plan) {
              const groups = schedule(a, rounds, n)
              assert.ok(groups.every((g) => g >= 0 && g < n))
              if (a.cohort === 'stationary') {
                assert.ok(groups.every((g) => g === a.startGroup))
              } else {
                // R ≤ N: a rotating attendee sees each stationary group at most once.
                assert.equal(new Set(groups).size, rounds, `n=${n} rounds=${rounds} ${a.id}`)
                groups.forEach((g, r) => assert.equal(g, (a.startGroup + r) % n))
              }
            }
            cases++
          }
        }
      }
    }
    assert.ok(cases > 1000)
  })
})
