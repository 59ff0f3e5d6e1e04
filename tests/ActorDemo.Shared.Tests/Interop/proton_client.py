"""A Qpid Proton client for interop and router conformance tests.

  send URL ADDRESS COUNT [--no-sasl]     sends the numbers 0..COUNT-1 as AmqpValue strings, the way
                                         the original demo's publisher did, and waits for each outcome
  receive URL ADDRESS COUNT [--no-sasl]  receives and accepts COUNT messages, printing each body
  credit URL ADDRESS                     attaches a sender and prints its credit ("credit N"): once
                                         after a round trip on the connection, then at every change

--no-sasl opens the connection with no SASL layer at all, as Proton C's examples and many device
gateways do. --ca FILE (with an amqps:// URL) trusts the router certificates that CA signed and
checks the host name, as a device given its cluster's CA does.
"""
import sys
import uuid

from proton import Message
from proton.handlers import MessagingHandler
from proton.reactor import Container
from proton import SSLDomain
from proton.utils import BlockingConnection


class CreditProbe(MessagingHandler):
    """Reports a sender's credit; a second link's attach is the round trip that makes the first report fair."""

    def __init__(self, url, address):
        super().__init__(prefetch=0)
        self.url = url
        self.address = address
        self.sender = None
        self.barrier = None
        self.reported = None

    def on_start(self, event):
        connection = event.container.connect(self.url, allowed_mechs="ANONYMOUS")
        self.sender = event.container.create_sender(connection, self.address)
        event.container.schedule(60, self)

    def on_timer_task(self, event):
        event.container.stop()

    def on_link_opened(self, event):
        if event.link == self.sender:
            self.barrier = event.container.create_receiver(event.connection, f"barrier-{uuid.uuid4()}")
        elif event.link == self.barrier:
            self.report()

    def on_link_flow(self, event):
        if event.link == self.sender and self.reported is not None:
            self.report()

    def report(self):
        if self.sender.credit != self.reported:
            self.reported = self.sender.credit
            print(f"credit {self.reported}", flush=True)


def main(args):
    mode, url, address = args[0], args[1], args[2]
    if mode == "credit":
        Container(CreditProbe(url, address)).run()
        return

    count = int(args[3])
    sasl = "--no-sasl" not in args
    ssl_domain = None
    if "--ca" in args:
        ssl_domain = SSLDomain(SSLDomain.MODE_CLIENT)
        ssl_domain.set_trusted_ca_db(args[args.index("--ca") + 1])
        ssl_domain.set_peer_authentication(SSLDomain.VERIFY_PEER_NAME)
    connection = BlockingConnection(url, timeout=30, sasl_enabled=sasl, allowed_mechs="ANONYMOUS" if sasl else None, ssl_domain=ssl_domain)
    try:
        if mode == "send":
            sender = connection.create_sender(address)
            for i in range(count):
                sender.send(Message(body=str(i)))
            print(f"sent {count}", flush=True)
        else:
            receiver = connection.create_receiver(address, credit=count)
            print("attached", flush=True)
            for _ in range(count):
                message = receiver.receive(timeout=30)
                receiver.accept()
                print(message.body, flush=True)
    finally:
        connection.close()


if __name__ == "__main__":
    main(sys.argv[1:])
