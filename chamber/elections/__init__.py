"""Stored counts: elections counted by `electoral` with their inputs kept, published, and
re-runnable by anyone from what is published."""
