/**
 * QuickRoute web dispatch form handler. The order form on quickroute.example.com posts
 * here; each order becomes a row in the "Orders" sheet, which Onfleet imports.
 */
const SHEET_NAME = 'Orders';

function doPost(e) {
  const order = JSON.parse(e.postData.contents);
  const sheet = SpreadsheetApp.getActive().getSheetByName(SHEET_NAME);
  sheet.appendRow([
    new Date(),
    order.customerName,
    order.phone,
    order.pickupAddress,
    order.dropoffAddress,
    order.window,
  ]);
  return ContentService
    .createTextOutput(JSON.stringify({ ok: true }))
    .setMimeType(ContentService.MimeType.JSON);
}

function formatPhone_(raw) {
  return String(raw).replace(/[^0-9+]/g, '');
}
