#!/usr/bin/env python3
"""Generates large scanner reports for bench/scan_import.sh, written as a stream (never held in memory).

  make_scan_reports.py nmap   OUT.xml     HOSTS     # nmap XML: HOSTS hosts in 10.0.0.0/8, 5 open ports each
  make_scan_reports.py nessus OUT.nessus  FINDINGS  # Nessus v2: FINDINGS report items over FINDINGS/100 hosts
"""
import random
import sys
from xml.sax.saxutils import escape, quoteattr

random.seed(20261125)
SERVICES = [(22, "ssh", "OpenSSH", "8.9p1"), (80, "http", "nginx", "1.18.0"), (443, "https", "Apache httpd", "2.4.57"),
            (3306, "mysql", "MySQL", "8.0.32"), (8080, "http-proxy", "Apache Tomcat", "9.0.71"), (5432, "postgresql", "PostgreSQL DB", "15.3")]


def ip(i):
    return f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"


def nmap(out, hosts):
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n')
    w('<nmaprun scanner="nmap" args="nmap -sV -oX bench.xml 10.0.0.0/16" start="1764028800" startstr="Tue Nov 25 08:00:00 2025" '
      'version="7.93" xmloutputversion="1.05">\n<scaninfo type="syn" protocol="tcp" numservices="1000" services="1-1000"/>\n')
    for h in range(1, hosts + 1):
        w(f'<host starttime="1764028800" endtime="1764028860"><status state="up" reason="syn-ack" reason_ttl="63"/>\n'
          f'<address addr="{ip(h)}" addrtype="ipv4"/>\n<hostnames><hostname name="host{h}.bench.gov.vn" type="PTR"/></hostnames>\n<ports>')
        for port, name, product, version in random.sample(SERVICES, 5):
            w(f'<port protocol="tcp" portid="{port}"><state state="open" reason="syn-ack" reason_ttl="63"/>'
              f'<service name="{name}" product="{product}" version="{version}" method="probed" conf="10">'
              f'<cpe>cpe:/a:{product.split()[0].lower()}:{product.split()[-1].lower()}:{version}</cpe></service>'
              f'<script id="banner" output={quoteattr(product + " " + version + " ready &amp; waiting")}/></port>\n')
        w('</ports><times srtt="1000" rttvar="500" to="100000"/></host>\n')
    w(f'<runstats><finished time="1764032400" timestr="Tue Nov 25 09:00:00 2025" elapsed="3600" exit="success"/>'
      f'<hosts up="{hosts}" down="0" total="{hosts}"/></runstats>\n</nmaprun>\n')


def nessus(out, findings):
    w = out.write
    w('<?xml version="1.0" ?>\n<NessusClientData_v2>\n<Policy><policyName>Bench</policyName></Policy>\n<Report name="bench">\n')
    hosts = max(1, findings // 100)
    n = 0
    for h in range(1, hosts + 1):
        w(f'<ReportHost name="{ip(h)}"><HostProperties><tag name="host-ip">{ip(h)}</tag><tag name="host-fqdn">host{h}.bench.gov.vn</tag>'
          f'<tag name="HOST_START">Tue Nov 25 08:00:00 2025</tag><tag name="HOST_END">Tue Nov 25 08:30:00 2025</tag></HostProperties>\n')
        per = findings // hosts + (1 if h <= findings % hosts else 0)
        for k in range(per):
            n += 1
            port, name, product, version = SERVICES[k % len(SERVICES)]
            sev = k % 5
            cve = f"CVE-{2015 + k % 10}-{10000 + k}"
            w(f'<ReportItem port="{port}" svc_name="{name}" protocol="tcp" severity="{sev}" pluginID="{100000 + k}" '
              f'pluginName={quoteattr(f"{product} {version} multiple vulnerabilities ({cve})")} pluginFamily="General">'
              f'<description>{escape(f"The remote {product} is affected by {cve}. " * 3)}</description>'
              f'<solution>Upgrade {escape(product)} to the latest version.</solution><synopsis>Vulnerable {escape(product)}.</synopsis>'
              f'<risk_factor>{["None", "Low", "Medium", "High", "Critical"][sev]}</risk_factor>'
              f'<cvss3_base_score>{[0.0, 3.1, 5.3, 7.5, 9.8][sev]}</cvss3_base_score>'
              f'<cvss3_vector>CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H</cvss3_vector><cve>{cve}</cve>'
              f'<see_also>https://nvd.nist.gov/vuln/detail/{cve}</see_also>'
              f'<plugin_output>{escape(f"Installed version : {version}  Fixed version : 99.0")}</plugin_output></ReportItem>\n')
        w('</ReportHost>\n')
    w('</Report>\n</NessusClientData_v2>\n')


if __name__ == "__main__":
    kind, path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as f:
        {"nmap": nmap, "nessus": nessus}[kind](f, count)
