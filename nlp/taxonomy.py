"""The legal-need categories (ids are a public contract; see shared taxonomy.md)."""

from __future__ import annotations

from dataclasses import dataclass

# In a label matrix: a category neither known to apply nor known not to (partial labels).
UNKNOWN = -1


@dataclass(frozen=True)
class Category:
    """One category of the taxonomy."""

    id: str
    label: str
    description: str
    list_code: str | None = None  # top-level area of the Legal Issues Taxonomy (LIST)


CATEGORIES: tuple[Category, ...] = (
    Category("civil_damages", "Civil suit for damages",
             "Suing traffickers or those who profited (TVPRA civil remedy, torts), punitive damages.",
             "TO-00-00-00-00"),
    Category("judgment_collection", "Collecting judgments and restitution",
             "Enforcing a civil judgment or restitution order, asset freezes, garnishment, liens.",
             "CO-00-00-00-00"),
    Category("wage_claims", "Lost and unpaid wages",
             "Unpaid or stolen wages, overtime, labor department complaints, retaliation, fees.",
             "WO-00-00-00-00"),
    Category("immigration_relief", "Immigration status and relief",
             "T visa, U visa, continued presence, asylum, SIJS, VAWA, work permits, removal defense.",
             "IM-00-00-00-00"),
    Category("family_reunification", "Family reunification",
             "Bringing family from the country of origin: derivative visas, follow-to-join.",
             "IM-00-00-00-00"),
    Category("family_law", "Divorce, custody and protection from an abusive partner",
             "Divorce, custody and visitation, child support, protective orders, Hague abduction.",
             "FA-00-00-00-00"),
    Category("criminal_record_relief", "Clearing criminal records",
             "Vacatur, expungement, sealing or pardon of convictions that resulted from trafficking.",
             "CR-00-00-00-00"),
    Category("victim_rights", "Rights in the criminal case against the trafficker",
             "Taking part in the prosecution, victim-witness protection, restitution, compensation.",
             "CR-00-00-00-00"),
    Category("criminal_defense", "Defense against current charges",
             "A survivor currently charged, arrested or detained: defense, affirmative defense.",
             "CR-00-00-00-00"),
    Category("housing", "Housing",
             "Eviction, unsafe or employer-controlled housing, shelter, coerced leases.",
             "HO-00-00-00-00"),
    Category("public_benefits", "Public benefits",
             "Eligibility letters, food assistance, medical coverage, cash assistance, appeals.",
             "BE-00-00-00-00"),
    Category("coerced_debt", "Coerced debt and identity misuse",
             "Debts or accounts opened in the survivor's name, identity theft, credit repair.",
             "MO-00-00-00-00"),
    Category("identity_documents", "Identity documents",
             "Recovering confiscated passports or IDs, birth certificates, SSN cards, name changes."),
)

CATEGORY_IDS: tuple[str, ...] = tuple(category.id for category in CATEGORIES)
