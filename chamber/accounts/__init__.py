"""Accounts and sign-in: who may sign in, with which role, and their member or voter record."""
