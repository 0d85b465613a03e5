"""Searching the public record: debates, speeches and divisions, ranked, with snippets."""
