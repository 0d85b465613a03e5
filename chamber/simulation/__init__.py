"""The chamber run through time on a simulated clock: the real scheduled jobs and services, with
synthetic clerks, members and voters, and the chamber's invariants checked every day."""
