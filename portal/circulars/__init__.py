"""Circulars (Rundschreiben): the office writes to all members, groups, a meeting's invitees or
attendees, or sectors; moderators to their own groups. Sent through the outbox, archived, readable
in the portal by their recipients; every mail can be unsubscribed with one click (RFC 8058)."""
