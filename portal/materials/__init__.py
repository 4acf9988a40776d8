"""Materials (Unterlagen) on a meeting, one of its agenda items or an action item: files (stored in
the database, bytes in a table of their own) and links, with versions and soft deletion."""
