"""A process that publishes events the way a web or Celery process does, for the replay property test.

    python -m tests.e2e.publisher <seed> <count> <user id>...

Each event goes to one or two of the users (overlapping with the other publishers) or, now and then, to
every job seeker. Some transactions stay open a while after storing their event, and some commits are
followed by a pause before the Redis publish (a process descheduled between the two): the two windows in
which ids and arrivals can disagree. Prints the stored ids, one per line.
"""

import os
import random
import sys
import time

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db import transaction

    from notifications.broadcaster import broadcaster

    seed, count, *user_ids = (int(arg) for arg in sys.argv[1:])
    rng = random.Random(seed)
    for n in range(count):
        with transaction.atomic():
            if rng.random() < 0.3:
                # Registered before the broadcaster's own callback: it runs first, between commit and publish.
                pause = rng.uniform(0, 0.05)
                transaction.on_commit(lambda pause=pause: time.sleep(pause))
            text = f"p{seed}-{n}"
            if rng.random() < 0.1:
                stored = broadcaster.publish(role="job_seeker", event_type="job_posted", message=text)
            else:
                stored = broadcaster.publish(
                    user_ids=rng.sample(user_ids, rng.choice((1, 2))),
                    event_type="notification",
                    notification_type="info",
                    title=text,
                    message=text,
                )
            if rng.random() < 0.3:
                time.sleep(rng.uniform(0, 0.05))  # the transaction stays open after its event is stored
        print(*(event.pk for event in stored), flush=True)
        time.sleep(rng.uniform(0, 0.01))


if __name__ == "__main__":
    main()
