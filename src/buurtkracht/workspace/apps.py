from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "buurtkracht.workspace"
    label = "workspace"
    verbose_name = "Workspace"
