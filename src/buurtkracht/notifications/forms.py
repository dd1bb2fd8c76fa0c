from __future__ import annotations

from typing import Any

from django import forms

from buurtkracht.notifications.kinds import DEFAULT_CHANNEL, Channel, Kind


class PreferencesForm(forms.Form):
    """One choice of channel per kind of notification."""

    def __init__(
        self, *args: Any, initial_channels: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        initial_channels = initial_channels or DEFAULT_CHANNEL
        for kind, label in Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Channel.choices,
                initial=initial_channels[kind],
                widget=forms.RadioSelect,
            )
