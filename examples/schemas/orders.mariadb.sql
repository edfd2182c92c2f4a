-- An order-processing schema in the style of Northwind, MariaDB/MySQL spelling; written from scratch for Skyforge (Apache-2.0):
-- same shape (categories, suppliers, products, customers with text keys, employees and territories,
-- shippers, orders and order details).
CREATE TABLE categories (
  category_id   smallint PRIMARY KEY,
  category_name varchar(15) NOT NULL,
  description   text
) ENGINE=InnoDB;

CREATE TABLE suppliers (
  supplier_id   smallint PRIMARY KEY,
  company_name  varchar(40) NOT NULL,
  contact_name  varchar(30),
  contact_title varchar(30),
  address       varchar(60),
  city          varchar(15),
  region        varchar(15),
  postal_code   varchar(10),
  country       varchar(15),
  phone         varchar(24),
  homepage      text
) ENGINE=InnoDB;

CREATE TABLE products (
  product_id        smallint PRIMARY KEY,
  product_name      varchar(40) NOT NULL,
  supplier_id       smallint,
  category_id       smallint,
  quantity_per_unit varchar(20),
  unit_price        numeric(10,2) CHECK (unit_price >= 0),
  units_in_stock    smallint CHECK (units_in_stock >= 0),
  units_on_order    smallint CHECK (units_on_order >= 0),
  reorder_level     smallint CHECK (reorder_level >= 0),
  discontinued      boolean NOT NULL,
  FOREIGN KEY (supplier_id) REFERENCES suppliers (supplier_id),
  FOREIGN KEY (category_id) REFERENCES categories (category_id)
) ENGINE=InnoDB;

CREATE TABLE customers (
  customer_id   char(5) PRIMARY KEY,
  company_name  varchar(40) NOT NULL,
  contact_name  varchar(30),
  contact_title varchar(30),
  address       varchar(60),
  city          varchar(15),
  region        varchar(15),
  postal_code   varchar(10),
  country       varchar(15),
  phone         varchar(24),
  fax           varchar(24)
) ENGINE=InnoDB;

CREATE TABLE employees (
  employee_id       smallint PRIMARY KEY,
  last_name         varchar(20) NOT NULL,
  first_name        varchar(10) NOT NULL,
  title             varchar(30),
  title_of_courtesy varchar(25),
  birth_date        date,
  hire_date         date,
  address           varchar(60),
  city              varchar(15),
  region            varchar(15),
  postal_code       varchar(10),
  country           varchar(15),
  home_phone        varchar(24),
  extension         varchar(4),
  notes             text,
  reports_to        smallint,
  FOREIGN KEY (reports_to) REFERENCES employees (employee_id)
) ENGINE=InnoDB;

CREATE TABLE region (
  region_id          smallint PRIMARY KEY,
  region_description varchar(60) NOT NULL
) ENGINE=InnoDB;

CREATE TABLE territories (
  territory_id          integer PRIMARY KEY,
  territory_description varchar(60) NOT NULL,
  region_id             smallint NOT NULL,
  FOREIGN KEY (region_id) REFERENCES region (region_id)
) ENGINE=InnoDB;

CREATE TABLE employee_territories (
  employee_id  smallint NOT NULL,
  territory_id integer NOT NULL,
  PRIMARY KEY (employee_id, territory_id),
  FOREIGN KEY (employee_id) REFERENCES employees (employee_id),
  FOREIGN KEY (territory_id) REFERENCES territories (territory_id)
) ENGINE=InnoDB;

CREATE TABLE shippers (
  shipper_id   smallint PRIMARY KEY,
  company_name varchar(40) NOT NULL,
  phone        varchar(24)
) ENGINE=InnoDB;

CREATE TABLE orders (
  order_id         integer PRIMARY KEY,
  customer_id      char(5),
  employee_id      smallint,
  order_date       date,
  required_date    date,
  shipped_date     date,
  ship_via         smallint,
  freight          numeric(10,2) CHECK (freight >= 0),
  ship_name        varchar(40),
  ship_address     varchar(60),
  ship_city        varchar(15),
  ship_region      varchar(15),
  ship_postal_code varchar(10),
  ship_country     varchar(15),
  FOREIGN KEY (customer_id) REFERENCES customers (customer_id),
  FOREIGN KEY (employee_id) REFERENCES employees (employee_id),
  FOREIGN KEY (ship_via) REFERENCES shippers (shipper_id)
) ENGINE=InnoDB;

CREATE TABLE order_details (
  order_id   integer NOT NULL,
  product_id smallint NOT NULL,
  unit_price numeric(10,2) NOT NULL CHECK (unit_price >= 0),
  quantity   smallint NOT NULL CHECK (quantity > 0),
  discount   real NOT NULL CHECK (discount BETWEEN 0 AND 1),
  PRIMARY KEY (order_id, product_id),
  FOREIGN KEY (order_id) REFERENCES orders (order_id),
  FOREIGN KEY (product_id) REFERENCES products (product_id)
) ENGINE=InnoDB;
