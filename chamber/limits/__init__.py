"""Rate limits shared by every server process and machine on one database: a sliding window of
each client's recent requests, one row per client and kind of limit."""
