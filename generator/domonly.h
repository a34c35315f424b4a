// An empty interface: soapcpp2 turns it into the serializer callbacks that a
// DOM-only program (generator/wsdlprune) must link with gSOAP's runtime.
// SPDX-License-Identifier: GPL-2.0-or-later
#import "dom.h"
