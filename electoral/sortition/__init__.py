"""Sortition: stratified, fair and verifiable draws of panels from a volunteer pool."""
