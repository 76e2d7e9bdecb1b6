/** What production requires for the privacy and legal notices, for tests that start or configure a production process. */
export const OPERATOR_ENV = {
  OPERATOR_NAME: 'Région Exemple',
  OPERATOR_ADDRESS: '1 place de la République, 35000 Rennes',
  DPO_CONTACT: 'dpo@region-exemple.fr',
  HOSTING_PROVIDER: 'Hébergeur SAS, 2 rue des Serveurs, 59000 Lille',
  PUBLICATION_DIRECTOR: 'Camille Martin, présidente de la Région Exemple',
};
