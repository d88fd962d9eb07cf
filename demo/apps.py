from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo seeder of every app (`manage.py seed_demo`): the top of the tree, it may import any app."""

    name = "demo"
    verbose_name = "Demo data"
