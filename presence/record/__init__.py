"""The published record (data/): read and validate it against its data package, check it, report its coverage. Both programs read it; only the curator's desk writes it (presence.desk.curate)."""
