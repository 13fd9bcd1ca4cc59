from django.db import models
from django.utils.translation import gettext_lazy as _


class SignatureKind(models.TextChoices):
    TYPED = "typed", _("Typed full name")
    DRAWN = "drawn", _("Drawn signature")
