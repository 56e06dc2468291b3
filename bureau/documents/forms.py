from __future__ import annotations

from django import forms


class DocumentUploadForm(forms.Form):
    """Kind, title and date of a batch of files; the files themselves come from ``request.FILES``."""

    kind = forms.ChoiceField(label="类别")
    title = forms.CharField(label="标题", max_length=200, required=False, help_text="留空则用文件名")
    date = forms.DateField(label="文件日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "请选择类别"), *kinds]
