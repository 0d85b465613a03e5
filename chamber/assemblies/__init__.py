"""Interest assemblies: each holds seats of a body and names, for each sitting, the delegate who
sits in each of its seats (instead of the rota solver rotating the seat's sharers)."""
