import gc
import os

from django.core.asgi import get_asgi_application

from config import embedded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
embedded.ensure_services()
# A web process pools its database connections (see KAZI_DB_POOL_SIZE in settings.py).
os.environ.setdefault("KAZI_DB_POOL_SIZE", "10")
# Django must be set up before the routing imports consumers and models.
django_asgi_app = get_asgi_application()

from autobahn.websocket import protocol as autobahn_protocol  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from config.ws_security import TokenOrSession, origin_checked  # noqa: E402

# A web process holds thousands of long-lived objects (sockets, consumers); with the default
# thresholds the collector rescans them all the time (about 30% of the event loop at 5,000
# sockets). Freeze what start-up made and collect young objects less often.
gc.collect()
gc.freeze()
gc.set_threshold(50_000, 20, 100)

# autobahn formats its whole configuration with pprint for a debug line on every new connection, logged or not:
# a fifth of a socket's connect CPU under daphne (py-spy, bench/fanout.py). A plain repr says the same.
autobahn_protocol.pformat = repr

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": origin_checked(TokenOrSession(URLRouter(websocket_urlpatterns))),
    }
)
