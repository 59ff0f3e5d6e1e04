"""A Qpid Proton sender that mixes transfers which are not AMQP messages with valid readings.

  hostile_sender.py URL ADDRESS ROUNDS

Each round sends every kind of bad payload below once, each followed by five valid readings
(AmqpValue strings, as the original demo's publisher sent them), as raw transfers, and waits for
every outcome. It
prints one line per outcome that was not what a correct consumer answers, then a summary:

  valid accepted=N other=N
  bad rejected=N other=N
  reason <description of the first rejection of each kind>
"""
import os
import sys
from collections import Counter, deque

from proton import Message
from proton.handlers import MessagingHandler
from proton.reactor import Container

def data(text):
    """A Data body, as our sensors send, holding this text."""
    return Message(body=text.encode("utf-8"), inferred=True).encode()


BAD = {
    # Valid AMQP messages that are no reading.
    "not-a-number": Message(body="hot").encode(),
    "json-without-temperature": data('{"device-id":"sensor-x"}'),
    "malformed-json": data('{"temperature": 22.4'),
    "temperature-out-of-range": data('{"temperature": 5000}'),
    "device-id-too-long": data('{"device-id":"' + "d" * 200 + '","temperature":21}'),
    "device-id-with-escape-codes": data('{"device-id":"sensor\\u001b[2J\\nFAKE LOG LINE","temperature":21}'),
    "body-too-large": data("1" * 70_000),
    "empty-data": data(""),
    "list-body": Message(body=[1, 2, 3]).encode(),
    "no-body": Message().encode(),
    # Transfers whose payload is no AMQP message at all.
    "not-amqp": b"hello, not amqp",
    "truncated-section": bytes.fromhex("005375a00a3132"),
    "unknown-descriptor": bytes.fromhex("00537f40"),
    "value-outside-section": bytes.fromhex("a103616263"),
    "wrong-field-type": bytes.fromhex("005370c00301a100"),
    "oversized-list": bytes.fromhex("005373d0000000ff00000001"),
    # Larger than a frame of Qpid Dispatch (16 KiB), so it travels in several.
    "large-garbage": os.urandom(40_000),
}


class HostileSender(MessagingHandler):
    def __init__(self, url, address, rounds):
        super().__init__(auto_settle=True)
        self.url = url
        self.address = address
        self.pending = deque()
        for _ in range(rounds):
            for kind, payload in BAD.items():
                self.pending.append((kind, payload))
                for i in range(5):
                    self.pending.append(("valid", Message(body=f"{20 + i % 5}.5").encode()))
        self.total = len(self.pending)
        self.kinds = {}
        self.outcomes = Counter()
        self.reasons = {}
        self.settled = 0
        self.tag = 0
        self.timer = None

    def on_start(self, event):
        connection = event.container.connect(self.url, allowed_mechs="ANONYMOUS")
        event.container.create_sender(connection, self.address)
        self.timer = event.container.schedule(240, self)

    def on_timer_task(self, event):
        print(f"timed out with {self.total - self.settled} outcomes missing", flush=True)
        self.report()
        event.container.stop()

    def on_sendable(self, event):
        sender = event.sender
        while sender.credit > 0 and self.pending:
            kind, payload = self.pending.popleft()
            self.tag += 1
            delivery = sender.delivery(str(self.tag))
            self.kinds[delivery.tag] = kind
            sender.send(payload)
            sender.advance()

    def on_accepted(self, event):
        self.outcome(event, "accepted")

    def on_rejected(self, event):
        self.outcome(event, "rejected")

    def on_released(self, event):
        self.outcome(event, "released")

    def outcome(self, event, state):
        kind = self.kinds.pop(event.delivery.tag)
        condition = event.delivery.remote.condition
        description = condition.description if condition is not None else None
        expected = "accepted" if kind == "valid" else "rejected"
        if state != expected or (state == "rejected" and not description):
            print(f"unexpected {kind} {state} {condition}", flush=True)
        group = "valid" if kind == "valid" else "bad"
        self.outcomes[(group, state == expected and (state == "accepted" or bool(description)))] += 1
        if state == "rejected" and kind not in self.reasons:
            self.reasons[kind] = description
        self.settled += 1
        if self.settled == self.total:
            self.report()
            self.timer.cancel()
            event.connection.close()

    def report(self):
        print(f"valid accepted={self.outcomes[('valid', True)]} other={self.outcomes[('valid', False)]}", flush=True)
        print(f"bad rejected={self.outcomes[('bad', True)]} other={self.outcomes[('bad', False)]}", flush=True)
        for kind, reason in sorted(self.reasons.items()):
            print(f"reason {kind}: {reason}", flush=True)


if __name__ == "__main__":
    url, address, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    Container(HostileSender(url, address, rounds)).run()
