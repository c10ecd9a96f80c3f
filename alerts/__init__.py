"""The alerts feature, in one package (docs/alerts.md). Public modules, which the dashboard may import:

- ``settings``: the ``NTBCARE_ALERTS_*`` settings (registered in the one registry) and ``AlertSettings``;
- ``recipients``: who gets what (``[ntbcare_alerts]`` of the deployment's secrets.toml, or the environment);
- ``secrets``: URLs redacted and secrets scrubbed from every text, Apprise's own logs included;
- ``delivery``: one notice to one target through Apprise (and the test notice);
- ``messages``: the notices' builders (pure, over a ``core.locale.Locale``); ``texts``: where their words live
  (``core/locales/<lang>/LC_MESSAGES/alerts.po``);
- ``rules``, ``schedule``: what is announced, to whom and when;
- ``tables``, ``store``, ``outbox``: the worker's own tables, its writes, and the reads the dashboard makes.

Private: ``worker`` (the process's loop) and ``__main__`` (``python -m alerts``); nothing imports them but the
entry point (``.importlinter``).
"""
