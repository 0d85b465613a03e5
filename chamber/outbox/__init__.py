"""The outbox: e-mail the chamber has to send, queued in the caller's transaction and sent over
SMTP by `chamber outbox send` or the scheduler when SMTP is configured."""
