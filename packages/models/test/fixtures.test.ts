import { readFileSync } from 'node:fs';
import { endpoints } from '@pc/models';
import { describe, expect, it } from 'vitest';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

describe('the seed and reference examples parse, normalized field by field', () => {
  it('E1 commercial usage (reference, corrected)', () => {
    const page = endpoints.commercialLicenseUsage.page.parse(
      fixture('e1-commercial-license-usage.reference.json'),
    );
    expect(page.nextLink).toBeNull();
    expect(page.totalCount).toBe(1);
    expect(page.items).toEqual([
      {
        processedDateTime: '2018-10-14T00:00:00.000Z',
        workloadCode: 'EXO',
        workloadName: 'Exchange',
        serviceCode: 'o365',
        serviceName: 'Microsoft Office 365',
        channel: 'reseller',
        customerTenantId: '0112a436-b14e-4888-967b-ca4bb2cf1234',
        customerName: 'TEST COMPANY',
        productId: '45a2423b-e884-448d-a831-d9e139c52d2f',
        productName: 'EXCHANGE ONLINE PROTECTION',
        licensesActive: 0,
        licensesQualified: 1,
      },
    ]);
  });

  it("E1 with the doc's licenseActive typo and counts sent as strings", () => {
    const page = endpoints.commercialLicenseUsage.page.parse(
      fixture('e1-commercial-license-usage.doc-typo.json'),
    );
    const [row] = page.items;
    expect(row?.licensesActive).toBe(12);
    expect(row?.licensesQualified).toBe(40);
    expect(row && 'licenseActive' in row).toBe(false);
    expect(page.totalCount).toBe(1);
  });

  it('E2 commercial deployment (seed 003)', () => {
    const page = endpoints.commercialLicenseDeployment.page.parse(
      fixture('e2-commercial-license-deployment.seed-003.json'),
    );
    expect(page.totalCount).toBe(2);
    expect(page.nextLink).toBeNull();
    expect(page.items).toHaveLength(2);
    expect(page.items[0]).toEqual({
      processedDateTime: '2018-10-14T00:00:00.000Z',
      serviceCode: 'crm',
      serviceName: 'Microsoft Dynamics',
      channel: 'reseller',
      customerTenantId: '0112a436-b14e-4888-967b-ca4bb2cf1234',
      customerName: 'TEST COMPANY',
      productId: '54b84594-9c77-4499-8d65-5e0d5f410e78',
      productName: 'DYNAMICS AX TASK',
      licensesDeployed: 0,
      licensesSold: 9,
    });
    expect(page.items[1]?.productId).toBe('d3b4fe1f-9992-4930-8acb-ca6ec609365e');
    expect(page.items[1]?.licensesSold).toBe(5);
  });

  it('E3 partner usage (seed 002)', () => {
    const page = endpoints.partnerLicenseUsage.page.parse(fixture('e3-partner-license-usage.seed-002.json'));
    expect(page.totalCount).toBe(5);
    expect(page.items.map((row) => row.workloadName)).toEqual([
      'Microsoft Dynamics CRM',
      'SharePoint',
      'Exchange',
      'SharePoint',
      'Skype For Business',
    ]);
    expect(page.items[0]).toEqual({
      proratedLicensesUsagePercent: 0,
      workloadName: 'Microsoft Dynamics CRM',
      processedDateTime: '2017-03-10T00:00:00.000Z',
      serviceName: 'crm',
      channel: 'reseller',
      attributes: { objectType: 'PartnerLicensesUsageInsights' },
    });
  });

  it('E4 partner deployment (seed 001), with a fractional-second offset timestamp', () => {
    const page = endpoints.partnerLicenseDeployment.page.parse(
      fixture('e4-partner-license-deployment.seed-001.json'),
    );
    expect(page.totalCount).toBe(2);
    expect(page.items[0]).toMatchObject({
      licensesSold: 343,
      proratedDeploymentPercent: 0,
      serviceName: 'crm',
    });
    expect(page.items[1]).toEqual({
      proratedDeploymentPercent: 1,
      licensesSold: 4464,
      processedDateTime: '2017-03-14T03:25:16.360Z',
      serviceName: 'o365',
      channel: 'reseller',
      attributes: { objectType: 'PartnerLicensesDeploymentInsights' },
    });
  });

  it.each(['e5-customer-license-usage.seed-000.json', 'e5-customer-license-usage.seed-004-sv.json'])(
    'E5 customer usage (%s)',
    (name) => {
      const page = endpoints.customerLicenseUsage.page.parse(fixture(name));
      expect(page.totalCount).toBe(5);
      expect(page.items.map((row) => row.licensesQualified)).toEqual([1, 1, 1, 5, 2]);
      expect(page.items[3]).toEqual({
        customerName: 'DT DEMO CSP CUSTOMER 005',
        productName: 'EXCHANGE ONLINE (PLAN 1)',
        licensesActive: 0,
        licensesQualified: 5,
        usagePercent: 0,
        workloadName: 'Exchange',
        processedDateTime: '2017-03-09T00:00:00.000Z',
        serviceName: 'o365',
        channel: 'reseller',
        attributes: { objectType: 'CustomerLicensesUsageInsights' },
      });
      // The optional fields the service leaves out stay out.
      expect(page.items[0]?.customerId).toBeUndefined();
      expect(page.items[0]?.workloadCode).toBeUndefined();
    },
  );

  it('E6 customer deployment (reference fields)', () => {
    const page = endpoints.customerLicenseDeployment.page.parse(
      fixture('e6-customer-license-deployment.reference.json'),
    );
    expect(page.items[0]?.customerId).toBeUndefined();
    expect(page.items[1]).toMatchObject({
      customerId: '4d3cf487-70f4-4e1e-9ff1-b2bfce8d9f04',
      serviceCode: 'o365',
      licensesDeployed: 4,
      licensesSold: 5,
      deploymentPercent: 0.8,
      processedDateTime: '2017-03-14T03:25:16.360Z',
    });
  });
});
