app_name = "payroll"

urlpatterns: list = []
