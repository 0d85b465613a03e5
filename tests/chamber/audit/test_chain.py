"""The audit chain as pure functions."""

from __future__ import annotations

from chamber.audit.chain import GENESIS, chain_hash, verify_chain


def test_tampering_with_any_audit_entry_breaks_the_chain_there():
    payloads = [{"kind": "vote", "n": i} for i in range(5)]
    entries, previous = [], GENESIS
    for p in payloads:
        previous = chain_hash(previous, p)
        entries.append((p, previous))
    assert verify_chain(entries) is None
    entries[2] = ({"kind": "vote", "n": 99}, entries[2][1])
    assert verify_chain(entries) == 2
