"""SMS adapter point. A deployment names its sender class in KYCUONG_SMS_BACKEND; the default prints to the
console and keeps the messages in memory (like Django's locmem mail outbox) so tests and demos can read them.
"""
import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sms:
    to: str
    text: str


class SmsSender:
    """Interface: send one text message. Raise on failure; callers decide whether that matters."""

    def send(self, to: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleSms(SmsSender):
    outbox: list[Sms] = []

    def send(self, to, text):
        ConsoleSms.outbox.append(Sms(to, text))
        print(f"[SMS → {to}] {text}")  # noqa: T201 - the console *is* this adapter's channel


def sender() -> SmsSender:
    return import_string(getattr(settings, "KYCUONG_SMS_BACKEND", "kycuong.portal.sms.ConsoleSms"))()


def send_sms(to: str, text: str) -> None:
    sender().send(to, text)
