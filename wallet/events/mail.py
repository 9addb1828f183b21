"""Send mail: through SMTP when a host is configured, else into ``.eml`` files a developer can open.

An adapter to the outside world: no Flask, no database. Jobs call it after the relay has handed
them a committed ``mail.requested`` event.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import smtplib
import ssl
import typing as t
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from email.utils import make_msgid

if t.TYPE_CHECKING:
    from pathlib import Path

    from wallet.config import MailConfig

log = logging.getLogger(__name__)

#: Links in a message body, logged when mail goes to files so a developer can click them.
LINK = re.compile(r"https?://[^\s<>\"']+")
SMTP_TIMEOUT = 20


@dataclass(frozen=True)
class OutgoingMail:
    """One message to one recipient."""

    to: str
    subject: str
    text: str
    html: str | None = None
    #: The outbox event that asked for it; also the Message-ID's left part, so retries dedupe.
    event_id: str = ""


def build_message(config: MailConfig, mail: OutgoingMail) -> EmailMessage:
    """Return the RFC 5322 message for ``mail``."""
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    message["Message-ID"] = make_msgid(idstring=mail.event_id or None, domain="wallet.localhost")
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    return message


def deliver(config: MailConfig, mail: OutgoingMail) -> None:
    """Send ``mail`` through SMTP, or write it to ``config.outbox_dir`` when no host is set."""
    message = build_message(config, mail)
    if config.smtp_host:
        _send_smtp(config, message)
        log.info("mail %r sent to %s through %s", mail.subject, mail.to, config.smtp_host)
    else:
        path = _write_eml(config.outbox_dir, message, mail.event_id)
        log.info("mail %r to %s written to %s", mail.subject, mail.to, path)
        for link in LINK.findall(mail.text):
            log.info("link in mail to %s: %s", mail.to, link)


def _send_smtp(config: MailConfig, message: EmailMessage) -> None:
    with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=SMTP_TIMEOUT) as smtp:
        if config.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if config.smtp_user:
            smtp.login(config.smtp_user, config.smtp_password)
        smtp.send_message(message)


def _write_eml(folder: Path, message: EmailMessage, event_id: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}-{event_id or 'mail'}.eml"
    path.write_bytes(bytes(message))
    return path
