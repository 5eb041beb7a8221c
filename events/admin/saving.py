"""Saving through the services: a refusal rolls the admin's save back and shows the page again.

The admin saves inside one transaction; a service refusing inside ``save_model`` or
``save_formset`` (wrapped in ``refusing()``) leaves it, rolling everything back. The page is
then built again from the same input, and this time validation fails with the refusal where it
belongs (the form, an inline row, or above an inline table), so nothing is saved.
"""

from contextlib import contextmanager

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from ..services import ConflictError
from ..services.errors import refusal_messages, show_refusal

WINDOW_FIELDS = {"starts_at", "ends_at"}


class Refused(Exception):
    """A service refused part of a save. ``prefix`` names the inline formset (None: the main
    form) and ``row`` the index of its form; ``removal`` says the row was being removed."""

    def __init__(self, error, *, prefix=None, row=None, removal=False):
        super().__init__(" ".join(refusal_messages(error)))
        self.error, self.prefix, self.row, self.removal = error, prefix, row, removal


@contextmanager
def refusing(prefix=None, row=None, *, removal=False):
    try:
        yield
    except (ValidationError, ConflictError) as error:
        raise Refused(error, prefix=prefix, row=row, removal=removal) from error


class ServiceForm(forms.ModelForm):
    """Checks the input; the service checks the rules when the admin saves. On the second
    showing of a refused page, ``refusal`` holds the service's reasons."""

    refusal = None

    def clean(self):
        data = super().clean()
        if self.refusal is not None:
            show_refusal(self, self.refusal)
        return data

    def validate_constraints(self):
        # The service validates the model's constraints, with messages that say what is wrong.
        pass


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose save_model calls a service inside ``refusing()``."""

    form = ServiceForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refused:
            # Everything is rolled back; the same input again now fails validation with it.
            request.admin_refusal = refused
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, "admin_refusal", None)
        if refused is not None and refused.prefix is None:
            form = type(form.__name__, (form,), {"refusal": refused.error})
        return form

    def save_related(self, request, form, formsets, change):
        # No form.save_m2m(): save_model handed the many-to-many fields to the service.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        """Inline rows through the services: removals first, then additions."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        removed = formset.deleted_forms
        for index, row in enumerate(formset.initial_forms):
            if row in removed:
                with refusing(formset.prefix, index, removal=True):
                    formset.remove_row(request, row.instance)
                formset.deleted_objects.append(row.instance)
        for index, row in enumerate(formset.extra_forms, start=formset.initial_form_count()):
            if row.has_changed() and row not in removed:
                with refusing(formset.prefix, index):
                    formset.new_objects.append(formset.add_row(request, row.cleaned_data))


class ServiceInlineFormSet(BaseInlineFormSet):
    """Rows are added with ``add_row`` and removed with ``remove_row`` (service calls)."""

    refusal: Refused | None = None

    def clean(self):
        super().clean()
        refused = self.refusal
        if refused is None or refused.prefix != self.prefix:
            return
        row = self.forms[refused.row]
        if not refused.removal:
            show_refusal(row, refused.error)
            return
        # A row being removed is not validated, so its refusal goes above the table.
        raise ValidationError([f"{row.instance}: {m}" for m in refusal_messages(refused.error)])

    def add_row(self, request, data):
        raise NotImplementedError

    def remove_row(self, request, instance):
        raise NotImplementedError


class OptionalWindow:
    """Blank start and end: the event's own times, as the services default them."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in WINDOW_FIELDS:
            kwargs.update(required=False, help_text="Blank: the event's own.")
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ServiceInline(OptionalWindow, admin.TabularInline):
    """Rows are added and removed through the services; existing rows are read-only (no
    service edits a kit booking's window, and one way to change staffing is enough here)."""

    form = ServiceForm
    formset = ServiceInlineFormSet
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        refused = getattr(request, "admin_refusal", None)
        if refused is not None and refused.prefix is not None:
            formset = type(formset.__name__, (formset,), {"refusal": refused})
        return formset


def for_each(modeladmin, request, queryset, change, done: str) -> None:
    """Apply a service to each selected object; say what was done and what was refused."""
    count = 0
    for obj in queryset:
        try:
            change(obj)
        except (ValidationError, ConflictError) as error:
            text = " ".join(refusal_messages(error))
            modeladmin.message_user(request, f"{obj}: {text}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done.format(count=count), messages.SUCCESS)
