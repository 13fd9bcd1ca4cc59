from django.db import models


class SignatureKind(models.TextChoices):
    TYPED = "typed", "Typed full name"
    DRAWN = "drawn", "Drawn signature"
