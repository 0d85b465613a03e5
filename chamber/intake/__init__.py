"""Public votes as they reach the web server, taken in groups: each request counted against its
client's rate limit, its session's user found, and its vote cast, in one worker-thread hop a
group."""
