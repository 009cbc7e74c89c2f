"""makemessages that also extracts the `_l` (gettext_lazy) and `N_` (gettext_noop) aliases."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l", "--keyword=N_"]
