"""Site notifications: what a signed-in person is told (an invitation to the jury, say)."""
