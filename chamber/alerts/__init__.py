"""Alerts: what the clerks must act on (a rota that cannot be published, a seat left empty by
a change of membership), shown on their page until resolved."""
