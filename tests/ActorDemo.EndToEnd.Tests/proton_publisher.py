"""The original demo's publisher, with Qpid Proton: `URL ADDRESS INTERVAL VALUE...`.

It sends each VALUE in turn as an AmqpValue string ("23"), one every INTERVAL seconds, over and over,
as the seed's publisher sent one temperature a second, until it is stopped.
"""
import sys
import time

from proton import Message
from proton.utils import BlockingConnection


def main(url, address, interval, values):
    connection = BlockingConnection(url, timeout=30, allowed_mechs="ANONYMOUS")
    try:
        sender = connection.create_sender(address)
        print("attached", flush=True)
        while True:
            for value in values:
                sender.send(Message(body=value))
                time.sleep(interval)
    finally:
        connection.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4:])
