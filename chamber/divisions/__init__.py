"""Divisions: chamber votes by rostered members, the public vote, proxies, results, audit."""
