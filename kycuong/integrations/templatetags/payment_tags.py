"""The "Thanh toán trực tuyến" button, for any page that shows a dossier to its applicant. It asks the
payment policy (integrations.policy.may_start); the portal, an app above integrations, loads this tag
instead of importing the policy (docs/design.md: apps import only what is listed above them)."""
from django import template

from ..policy import may_start

register = template.Library()


@register.inclusion_tag("integrations/_pay_button.html", takes_context=True)
def pay_button(context, dossier):
    user = context["request"].user
    return {"d": dossier, "show": may_start(user, dossier), "csrf_token": context.get("csrf_token")}
