from django.apps import AppConfig


class BusinessPartnersConfig(AppConfig):
    name = "ctpat.business_partners"
    label = "business_partners"
    verbose_name = "Business partners and restricted-party screening"
