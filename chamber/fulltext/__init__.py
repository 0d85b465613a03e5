"""Full-text search, one interface over two engines: SQLite's FTS5 (an external-content index
per searched table, kept by triggers) and PostgreSQL's text search (an expression GIN index
per searched column).  What people type is parsed here into words and phrases and never reaches
either engine's query syntax unquoted."""
