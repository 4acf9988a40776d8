"""Materials (Unterlagen) on a meeting or one of its agenda items: files (stored in the database,
bytes in a table of their own) and links, with versions and soft deletion."""
