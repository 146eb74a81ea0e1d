"""ctpat: the CTPAT supply-chain security program, for partners and the agency."""

__version__ = "0.1.0"
