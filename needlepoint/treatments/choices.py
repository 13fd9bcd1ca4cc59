from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionStatus(models.TextChoices):
    OPEN = "open", _("Being charted")
    COMPLETED = "completed", _("Completed and signed")


class Technique(models.TextChoices):
    CROSSHATCH = "crosshatch", _("Crosshatch (horizontal, vertical, diagonal)")
    CIRCULAR = "circular", _("Small circles")
    LINEAR = "linear", _("Linear strokes")
    STAMPING = "stamping", _("Stamping")


class Endpoint(models.TextChoices):
    ERYTHEMA = "erythema", _("Even erythema")
    PINPOINT_BLEEDING = "pinpoint_bleeding", _("Pinpoint bleeding")
    NOT_REACHED = "not_reached", _("Stopped before the endpoint")


class Reaction(models.TextChoices):
    EXPECTED = "expected", _("As expected (redness, tightness)")
    MARKED_ERYTHEMA = "marked_erythema", _("Marked erythema")
    OEDEMA = "oedema", _("Swelling")
    BRUISING = "bruising", _("Bruising")
    OTHER = "other", _("Other (see notes)")


class PhotoTiming(models.TextChoices):
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")


class PhotoView(models.TextChoices):
    FRONT = "front", _("Front")
    LEFT_45 = "left_45", _("Left 45°")
    RIGHT_45 = "right_45", _("Right 45°")
    LEFT_90 = "left_90", _("Left 90°")
    RIGHT_90 = "right_90", _("Right 90°")
    VERTEX = "vertex", _("Scalp: vertex")
    HAIRLINE = "hairline", _("Scalp: hairline")
    LEFT_TEMPLE = "left_temple", _("Scalp: left temple")
    RIGHT_TEMPLE = "right_temple", _("Scalp: right temple")
    CLOSE_UP = "close_up", _("Area close-up")


class Glogau(models.IntegerChoices):
    I = 1, _("I – no wrinkles")  # noqa: E741
    II = 2, _("II – wrinkles in motion")
    III = 3, _("III – wrinkles at rest")
    IV = 4, _("IV – only wrinkles")


class ScarGrade(models.IntegerChoices):
    MACULAR = 1, _("1 – macular")
    MILD = 2, _("2 – mild")
    MODERATE = 3, _("3 – moderate")
    SEVERE = 4, _("4 – severe")
