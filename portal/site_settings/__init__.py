"""Values the portal fixes once and keeps: stored in the database, so that a later change of the
configuration they were derived from does not change them (the mail domain of Message-IDs and UIDs)."""
