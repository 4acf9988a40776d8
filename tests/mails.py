"""Reading the mails the portal wrote into its outbox folder."""
from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage
from pathlib import Path


class Outbox:
    def __init__(self, folder: str) -> None:
        self.folder = Path(folder)

    def clear(self) -> None:
        if self.folder.exists():
            for path in self.folder.glob("*.eml"):
                path.unlink()

    @property
    def messages(self) -> list[EmailMessage]:
        if not self.folder.exists():
            return []
        return [
            email.message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in sorted(self.folder.glob("*.eml"))
        ]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def text(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    @staticmethod
    def calendar(message: EmailMessage) -> bytes | None:
        """The inline text/calendar part (the meeting request; the same file is also attached)."""
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                return part.get_payload(decode=True)
        return None
