"""The list of areas (postcode districts): one entry point for every writer (admin, import,
demo data), so a district's code and name are held to the same rules wherever they come from.
"""

from django.core.exceptions import ValidationError

from ..models import Area
from ..postcodes import is_district
from ..validators import clean_fields


def area_save(*, area: Area) -> Area:
    """Create or update an area. The code is upper-cased and must be a postcode district's
    outward code (AL3, SG12, EC1A): what an event's postcode is matched on."""
    area.code = "".join((area.code or "").split()).upper()
    area.name = (area.name or "").strip()
    clean_fields(area, lines=("code", "name"))
    if area.code and not is_district(area.code):
        raise ValidationError(
            {"code": [f"“{area.code}” is not a postcode district: give one like AL3 or SG12."]}
        )
    area.full_clean()
    area.save()
    return area
