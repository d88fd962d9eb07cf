"""core.text in templates: `{{ n|plural:"application" }}`, `{{ job|salary }}`, `{{ job|place }}`,
`{{ status|status_word }}`, `{{ score|percent }}`, `{{ job.description|markdownish }}`."""

from django import template

from core import text

register = template.Library()


@register.filter
def plural(count, noun: str) -> str:
    one, _, many = noun.partition(",")
    return text.plural(count or 0, one, many or None)


@register.filter
def money(amount, currency: str = "USD") -> str:
    return text.money(amount, currency)


@register.filter
def salary(job) -> str:
    return text.salary_range(job.salary_min, job.salary_max, job.currency)


@register.filter
def place(job) -> str:
    return text.place(job.location, job.remote)


@register.filter
def status_word(status) -> str:
    return text.status_word(status)


@register.filter
def percent(value) -> str:
    return text.percent(value)


@register.filter
def markdownish(value: str):
    return text.markdownish(value)


@register.filter
def day(value) -> str:
    return text.day(value)
