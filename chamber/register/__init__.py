"""The electoral register: electors imported from the register's CSV (re-imports keep each
row's history), and the one-time codes that let an elector claim their public account,
delivered out of band (e-mail through the outbox, or a letter)."""
