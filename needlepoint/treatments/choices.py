from django.db import models


class SessionStatus(models.TextChoices):
    OPEN = "open", "Being charted"
    COMPLETED = "completed", "Completed and signed"


class Technique(models.TextChoices):
    CROSSHATCH = "crosshatch", "Crosshatch (horizontal, vertical, diagonal)"
    CIRCULAR = "circular", "Small circles"
    LINEAR = "linear", "Linear strokes"
    STAMPING = "stamping", "Stamping"


class Endpoint(models.TextChoices):
    ERYTHEMA = "erythema", "Even erythema"
    PINPOINT_BLEEDING = "pinpoint_bleeding", "Pinpoint bleeding"
    NOT_REACHED = "not_reached", "Stopped before the endpoint"


class Reaction(models.TextChoices):
    EXPECTED = "expected", "As expected (redness, tightness)"
    MARKED_ERYTHEMA = "marked_erythema", "Marked erythema"
    OEDEMA = "oedema", "Swelling"
    BRUISING = "bruising", "Bruising"
    OTHER = "other", "Other (see notes)"


class PhotoTiming(models.TextChoices):
    BEFORE = "before", "Before"
    AFTER = "after", "After"


class PhotoView(models.TextChoices):
    FRONT = "front", "Front"
    LEFT_45 = "left_45", "Left 45°"
    RIGHT_45 = "right_45", "Right 45°"
    LEFT_90 = "left_90", "Left 90°"
    RIGHT_90 = "right_90", "Right 90°"
    VERTEX = "vertex", "Scalp: vertex"
    HAIRLINE = "hairline", "Scalp: hairline"
    LEFT_TEMPLE = "left_temple", "Scalp: left temple"
    RIGHT_TEMPLE = "right_temple", "Scalp: right temple"
    CLOSE_UP = "close_up", "Area close-up"


class Glogau(models.IntegerChoices):
    I = 1, "I – no wrinkles"  # noqa: E741
    II = 2, "II – wrinkles in motion"
    III = 3, "III – wrinkles at rest"
    IV = 4, "IV – only wrinkles"


class ScarGrade(models.IntegerChoices):
    MACULAR = 1, "1 – macular"
    MILD = 2, "2 – mild"
    MODERATE = 3, "3 – moderate"
    SEVERE = 4, "4 – severe"
