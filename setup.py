"""Install get_nb from settings.ini (nbdev 2 layout) on Python 3.11-3.13 with current setuptools."""
from configparser import ConfigParser
from pathlib import Path
import shlex

from setuptools import find_packages, setup

cfg = ConfigParser(delimiters=["="])
cfg.read(Path(__file__).parent / "settings.ini", encoding="utf-8")
c = cfg["DEFAULT"]

def _reqs(key):
    # settings.ini lists requirements space-separated; version specifiers contain no spaces
    return shlex.split(c.get(key, ""))

readme = Path(__file__).parent / "README.md"
scripts = [s for s in c.get("console_scripts", "").split() if s]

setup(
    name=c["lib_name"],
    version=c["version"],
    description=c["description"],
    long_description=readme.read_text(encoding="utf-8") if readme.exists() else "",
    long_description_content_type="text/markdown",
    author=c["author"],
    license="Apache-2.0",
    python_requires=f">={c['min_python']}",
    packages=find_packages(include=[c["lib_path"], c["lib_path"] + ".*"]),
    include_package_data=True,
    install_requires=_reqs("requirements"),
    extras_require={"dev": _reqs("dev_requirements"), "bench": _reqs("bench_requirements")},
    entry_points={"console_scripts": scripts, "nbdev": [f"{c['lib_path']}={c['lib_path']}._modidx:d"]},
    classifiers=[
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
    ],
    zip_safe=False,
)
