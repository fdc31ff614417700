"""Display preferences (text size, contrast) read from a cookie so the server renders them: no flash."""
from django.conf import settings

TEXT_SIZES = ("small", "normal", "large")


def display_preferences(request):
    size = request.COOKIES.get("kc_text", "normal")
    return {
        "text_size": size if size in TEXT_SIZES else "normal",
        "high_contrast": request.COOKIES.get("kc_contrast") == "high",
        "city_name": settings.KYCUONG_CITY_NAME,
    }
